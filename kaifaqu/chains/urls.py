from django.urls import path

from . import bounty_views, policy_views, views

app_name = "chains"

urlpatterns = [
    path("", views.chain_list, name="list"),
    path("<int:pk>/", views.chain_detail, name="detail"),
    path("<int:pk>/edit/", views.chain_edit, name="edit"),
    path("<int:pk>/lists.xlsx", views.lists_export, name="lists_export"),
    path("<int:pk>/brief.docx", views.chain_brief_docx, name="brief"),
    path("<int:pk>/links/add/", views.link_add, name="link_add"),
    path("links/<int:pk>/edit/", views.link_edit, name="link_edit"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("links/<int:pk>/place/<str:kind>/", views.place, name="place"),
    path("unplace/", views.unplace, name="unplace"),
    path("policies/", policy_views.policy_list, name="policies"),
    path("policies/export/", policy_views.policy_export, name="policy_export"),
    path("policies/add/", policy_views.policy_create, name="policy_create"),
    path("policies/<int:pk>/", policy_views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/delete/", policy_views.policy_delete, name="policy_delete"),
    path("policies/<int:pk>/file/", policy_views.policy_file, name="policy_file"),
    # 揭榜挂帅: boards, their bounties, claims (揭榜), progress and 验收, the 榜单 as files
    path("bounties/", bounty_views.board_list, name="bounties"),
    path("bounties/<int:pk>/", bounty_views.board_detail, name="bounty_board"),
    path("bounties/<int:pk>/edit/", bounty_views.board_edit, name="bounty_board_edit"),
    path("bounties/<int:pk>/publish/", bounty_views.board_publish, name="bounty_publish"),
    path("bounties/<int:pk>/close/", bounty_views.board_close, name="bounty_close"),
    path("bounties/<int:pk>/add/", bounty_views.bounty_add, name="bounty_add"),
    path("bounties/<int:pk>/board.xlsx", bounty_views.board_xlsx, name="bounty_xlsx"),
    path("bounties/<int:pk>/board.docx", bounty_views.board_docx, name="bounty_docx"),
    path("bounties/items/<int:pk>/delete/", bounty_views.bounty_delete, name="bounty_delete"),
    path("bounties/items/<int:pk>/claim/", bounty_views.bounty_claim, name="bounty_claim_create"),
    path("bounties/claims/<int:pk>/", bounty_views.claim_detail, name="bounty_claim"),
    path("bounties/claims/<int:pk>/progress/", bounty_views.claim_progress, name="bounty_progress"),
    path("bounties/claims/<int:pk>/verify/", bounty_views.claim_verify, name="bounty_verify"),
    path("bounties/claims/<int:pk>/evidence/", bounty_views.claim_evidence, name="bounty_claim_evidence"),
    path("bounties/progress/<int:pk>/evidence/", bounty_views.progress_evidence, name="bounty_progress_evidence"),
]
