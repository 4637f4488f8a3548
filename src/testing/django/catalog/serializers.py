"""The product as the API reads and writes it; one rule (a reserved name) the schema cannot show."""
from rest_framework import serializers

from .models import Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "price", "status", "description", "owner", "created_at"]
        read_only_fields = ["owner", "created_at"]

    def validate_name(self, value):
        if value.strip().lower() == "admin":
            raise serializers.ValidationError("This name is reserved.")
        return value
