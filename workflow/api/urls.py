from django.urls import path

from . import extensions, letters, proposals, views
from .verification import LetterVerifyView

app_name = "workflow-api"

D = "directives/<int:pk>/"
A = "assignments/<int:pk>/"
E = "extension-requests/<int:pk>/"
L = "letters/<int:pk>/"
P = "sanction-proposals/<int:pk>/"

urlpatterns = [
    path("directives/", views.DirectiveListCreateView.as_view(), name="directive-list"),
    path(D, views.DirectiveDetailView.as_view(), name="directive-detail"),
    path(f"{D}issue/", views.DirectiveIssueView.as_view(), name="directive-issue"),
    path(f"{D}withdraw/", views.DirectiveWithdrawView.as_view(), name="directive-withdraw"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment-list"),
    path(A, views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path(f"{A}acknowledge/", views.AcknowledgeView.as_view(), name="assignment-acknowledge"),
    path(f"{A}start/", views.StartView.as_view(), name="assignment-start"),
    path(f"{A}submit/", views.SubmitView.as_view(), name="assignment-submit"),
    path(f"{A}verify/", views.VerifyView.as_view(), name="assignment-verify"),
    path(f"{A}return/", views.ReturnView.as_view(), name="assignment-return"),
    path(
        f"{A}extension-requests/",
        extensions.ExtensionRequestCreateView.as_view(),
        name="assignment-extension-request",
    ),
    path(f"{A}timeline/", views.AssignmentTimelineView.as_view(), name="assignment-timeline"),
    path(
        "extension-requests/",
        extensions.ExtensionRequestListView.as_view(),
        name="extension-request-list",
    ),
    path(
        f"{E}approve/", extensions.ApproveExtensionView.as_view(), name="extension-request-approve"
    ),
    path(f"{E}reject/", extensions.RejectExtensionView.as_view(), name="extension-request-reject"),
    path("letters/", letters.LetterListView.as_view(), name="letter-list"),
    path("letters/verify/", LetterVerifyView.as_view(), name="letter-verify"),  # public
    path(L, letters.LetterDetailView.as_view(), name="letter-detail"),
    path(f"{L}pdf/", letters.LetterPdfView.as_view(), name="letter-pdf"),
    path("sanction-proposals/", proposals.ProposalListView.as_view(), name="proposal-list"),
    path(f"{P}", proposals.ProposalDetailView.as_view(), name="proposal-detail"),
    path(f"{P}sign/", proposals.ProposalSignView.as_view(), name="proposal-sign"),
    path(f"{P}decline/", proposals.ProposalDeclineView.as_view(), name="proposal-decline"),
]
