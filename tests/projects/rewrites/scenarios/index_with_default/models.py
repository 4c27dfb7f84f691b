from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    code = models.CharField(max_length=20, null=True)
    price = models.IntegerField(null=True)
    stock = models.IntegerField(default=0, null=True)

    class Meta:
        indexes = [
            models.Index(fields=["price"], name="shop_item_price_idx"),
            models.Index(fields=["name"], name="shop_item_name_idx"),
        ]
