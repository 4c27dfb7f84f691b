from django.db import models


class ProductCategory(models.Model):
    name = models.CharField(max_length=100)


class Product(models.Model):
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    category = models.ForeignKey(ProductCategory, on_delete=models.CASCADE)
    sku = models.CharField(max_length=32, unique=True)
    description = models.TextField(blank=True, default="")
    stock = models.IntegerField(default=0)
    weight = models.DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        unique_together = [("category", "sku")]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "category"], name="uniq_product_title_category"
            )
        ]
        indexes = [models.Index(fields=["title"], name="catalog_prod_title_idx")]
