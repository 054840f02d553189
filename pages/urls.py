"""Pages for people. Each area is its own package with its own urls and views:
inbox (regents, mayors, regency heads), console (ministry and governors), directives
(composer and tracking), audit (read-only exports), recording (report uploads),
verification (the public check of signed letters, no sign-in), access (the network
operators' access orders)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import evidence, views
from .account import views as account_views
from .forms import SignInForm
from .search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="pages/registration/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # The second factor, under /masuk/: a session that still owes its code reaches these.
    path("masuk/kode/", account_views.verify, name="second-factor"),
    path("masuk/kode/daftar/", account_views.enrol, name="second-factor-enrol"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", include("pages.inbox.urls")),
    path("console/", include("pages.console.urls")),
    path("akses/", include("pages.access.urls")),
    path("directives/", include("pages.directives.urls")),
    path("audit/", include("pages.audit.urls")),
    path("recording/", include("pages.recording.urls")),
    path("akun/", include("pages.account.urls")),
    path("usulan-sanksi/", include("pages.proposals.urls")),
    path("verifikasi/", include("pages.verification.urls")),
    path("bukti/<int:pk>/", evidence.evidence_file, name="evidence"),
    path("cari/", search_views.search, name="search"),
    path("kerja/", include("pages.work.urls")),
]
