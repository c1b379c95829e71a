"""The API's own tokens: sign in for one, list yours, make another, revoke one."""
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .tokens import api_token_create, api_token_revoke, api_tokens_of


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class TokenNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The token's first characters, to recognise it.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


NEW_TOKEN = inline_serializer("NewApiToken", fields={
    "token": serializers.CharField(help_text="The token itself. It is shown only now: store it safely."),
    "id": serializers.IntegerField(), "prefix": serializers.CharField(),
})


def _new_token_body(token, key):
    return {"token": key, "id": token.pk, "prefix": token.prefix}


class TokenObtainView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=CredentialsSerializer, responses={200: NEW_TOKEN}, auth=[],
                   summary="Get an API token with your email and password",
                   description="Creates a new token and returns it once. Send it as `Authorization: Token <token>`. "
                               "Repeated failed sign-ins are refused for a while (HTTP 429).")
    def post(self, request):
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The Django request, so the brute-force limits (django-axes) see and count this sign-in.
        user = authenticate(request._request, username=body.validated_data["username"],
                            password=body.validated_data["password"])
        if user is None:
            return Response({"non_field_errors": ["Unable to sign in with these credentials."]},
                            status=status.HTTP_400_BAD_REQUEST)
        token, key = api_token_create(user=user, name=body.validated_data["name"] or "API sign-in")
        return Response(_new_token_body(token, key))


class TokenListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApiTokenSerializer(many=True), summary="Your API tokens",
                   description="Every token you hold (not the keys themselves, which are never stored).")
    def get(self, request):
        return Response(ApiTokenSerializer(api_tokens_of(user=request.user), many=True).data)

    @extend_schema(request=TokenNameSerializer, responses={201: NEW_TOKEN}, summary="Create another API token",
                   description="Returns the new token once.")
    def post(self, request):
        body = TokenNameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=body.validated_data["name"])
        return Response(_new_token_body(token, key), status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="Revoke one of your API tokens",
                   description="The token stops working at once.")
    def delete(self, request, pk):
        if not api_token_revoke(user=request.user, token_id=pk):
            return Response({"detail": "No such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
