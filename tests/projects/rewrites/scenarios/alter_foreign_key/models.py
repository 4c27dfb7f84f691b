from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    code = models.CharField(max_length=20, null=True)
    price = models.IntegerField(null=True)
    parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["price"], name="shop_item_price_idx")]
