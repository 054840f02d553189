from django.urls import path, register_converter

from . import access_orders, cases, events, recording, regencies, regency_actions


class RegencyCodeConverter:
    """A Kemendagri regency or city code: two digits, a dot, two digits (15.02)."""

    regex = r"\d{2}\.\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RegencyCodeConverter, "regency_code")


class RegionCodeConverter(RegencyCodeConverter):
    """A province (15), regency (15.02) or district (15.02.01) code."""

    regex = r"\d{2}(?:\.\d{2}(?:\.\d{2})?)?"


register_converter(RegionCodeConverter, "region_code")

app_name = "compliance-api"

R = "regencies/<regency_code:code>/"

urlpatterns = [
    path("events/", events.EventFeedView.as_view(), name="event-feed"),
    path("regencies/", regencies.RegencyListView.as_view(), name="regency-list"),
    path(R, regencies.RegencyDetailView.as_view(), name="regency-detail"),
    path(f"{R}history/", regencies.RegencyHistoryView.as_view(), name="regency-history"),
    path(f"{R}flag/", regency_actions.FlagView.as_view(), name="regency-flag"),
    path(
        f"{R}suspension-requests/",
        regency_actions.SuspensionRequestCreateView.as_view(),
        name="regency-suspension-request",
    ),
    path(f"{R}evidence/", regency_actions.EvidenceUploadView.as_view(), name="regency-evidence"),
    path(f"{R}remediation/", regency_actions.RemediationView.as_view(), name="regency-remediation"),
    path(
        f"{R}reject-remediation/",
        regency_actions.RejectRemediationView.as_view(),
        name="regency-reject-remediation",
    ),
    path(f"{R}reconnection/", regency_actions.ReconnectView.as_view(), name="regency-reconnection"),
    path(f"{R}clear/", regency_actions.ClearView.as_view(), name="regency-clear"),
    path(
        "suspension-requests/",
        cases.SuspensionRequestListView.as_view(),
        name="suspension-request-list",
    ),
    path(
        "suspension-requests/<int:pk>/",
        cases.SuspensionRequestDetailView.as_view(),
        name="suspension-request-detail",
    ),
    path(
        "remediations/<int:pk>/",
        cases.RemediationDetailView.as_view(),
        name="remediation-detail",
    ),
    path(
        "suspension-requests/<int:pk>/approve/",
        cases.ApproveSuspensionView.as_view(),
        name="suspension-request-approve",
    ),
    path(
        "suspension-requests/<int:pk>/reject/",
        cases.RejectSuspensionView.as_view(),
        name="suspension-request-reject",
    ),
    path("access-orders/", access_orders.AccessOrderListView.as_view(), name="access-order-list"),
    path(
        "access-orders/<int:pk>/",
        access_orders.AccessOrderDetailView.as_view(),
        name="access-order-detail",
    ),
    path(
        "access-orders/<int:pk>/execute/",
        access_orders.ExecuteAccessOrderView.as_view(),
        name="access-order-execute",
    ),
    path("evidence/<int:pk>/", cases.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("downtime/", regencies.DowntimeView.as_view(), name="downtime"),
    path(
        "recording/imports/",
        recording.RecordingImportCreateView.as_view(),
        name="recording-import-create",
    ),
    path(
        "recording/imports/<int:pk>/",
        recording.RecordingImportDetailView.as_view(),
        name="recording-import-detail",
    ),
    path(
        "regions/<region_code:code>/realisation/",
        recording.RealisationView.as_view(),
        name="region-realisation",
    ),
]
