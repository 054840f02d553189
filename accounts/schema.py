"""The API schema's description of our token check (imported by AccountsConfig.ready)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class ApiTokenScheme(KnoxTokenScheme):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "`Authorization: Token <kunci>`: token bernama yang berlaku terbatas, diterbitkan "
            "lewat POST /api/v1/auth/tokens/ atau `manage.py api_token issue` / a named token "
            "with an expiry, issued through POST /api/v1/auth/tokens/ or `manage.py api_token "
            "issue`."
        )
        return definition
