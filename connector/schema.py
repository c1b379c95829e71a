"""The OpenAPI description is for the API's users: descriptions come from extend_schema only, never from
a view's docstring (those are notes for developers), and token auth is described as a security scheme."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class OwnerAutoSchema(AutoSchema):
    def get_description(self):
        return ""  # extend_schema(description=...) replaces this; a docstring never shows


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <token>`: get one with POST /api/token/ or on your account page."}

