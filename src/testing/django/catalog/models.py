"""The catalogue's one table."""
from django.db import models


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        ACTIVE = "active"

    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(null=True, blank=True)
    owner = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "catalog"
        ordering = ["id"]
