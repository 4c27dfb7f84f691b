from django.db import models


class Shop(models.Model):
    name = models.CharField(max_length=50)


class Item(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    qty = models.BigIntegerField(default=0)
    code = models.CharField(max_length=20)
    shop = models.ForeignKey(Shop, models.PROTECT, null=True)
    flag = models.BooleanField(null=True)
