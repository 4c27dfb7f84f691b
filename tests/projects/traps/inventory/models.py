from django.db import models


def default_warehouse():
    """A default that queries the database (like wagtail's get_root_collection_id)."""
    return Warehouse.objects.order_by("pk").values_list("pk", flat=True).first()


class Warehouse(models.Model):
    code = models.CharField(max_length=20)
    city = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["code", "city"], name="inventory_code_city_idx")]


class Item(models.Model):
    sku = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, default=default_warehouse)
    quantity = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=40)
