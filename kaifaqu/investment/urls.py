from django.urls import path

from . import activity_views, board_views, catalogue_views, home_views

app_name = "investment"

urlpatterns = [
    # the workbench: figures, the standard sentence, the leaders' monthly trips
    path("", home_views.workbench, name="home"),
    path("export/", home_views.figures_export, name="export"),
    path("compliance/", home_views.compliance, name="compliance"),
    path("compliance/leaders/", home_views.leaders_edit, name="leaders"),
    # leads on the board, a lead's page (招前 / 招中 / 招后) and its 招商 facts
    path("board/", board_views.board, name="board"),
    path("leads/<int:pk>/", board_views.lead_detail, name="lead"),
    path("leads/<int:pk>/facts/", board_views.lead_facts, name="lead_facts"),
    # the target catalogue: industries sought, target companies, the 招商方式 catalogue
    path("industries/", catalogue_views.industry_list, name="industries"),
    path("industries/<int:pk>/edit/", catalogue_views.industry_edit, name="industry_edit"),
    path("industries/<int:pk>/delete/", catalogue_views.industry_delete, name="industry_delete"),
    path("targets/", catalogue_views.target_list, name="targets"),
    path("targets/export/", catalogue_views.target_export, name="target_export"),
    path("targets/new/", catalogue_views.target_create, name="target_create"),
    path("targets/<int:pk>/", catalogue_views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", catalogue_views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", catalogue_views.target_delete, name="target_delete"),
    path("targets/<int:pk>/lead/", catalogue_views.target_lead, name="target_lead"),
    path("modes/", catalogue_views.mode_list, name="modes"),
    path("modes/new/", catalogue_views.mode_create, name="mode_create"),
    path("modes/<int:pk>/edit/", catalogue_views.mode_edit, name="mode_edit"),
    # activities and their files; 平台公司
    path("activities/", activity_views.activity_list, name="activities"),
    path("activities/export/", activity_views.activity_export, name="activity_export"),
    path("activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activity_views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/files/", activity_views.file_add, name="file_add"),
    path("activities/<int:pk>/lead/", activity_views.activity_lead, name="activity_lead"),
    path("files/<int:pk>/", activity_views.file_download, name="file"),
    path("files/<int:pk>/delete/", activity_views.file_delete, name="file_delete"),
    path("platforms/", activity_views.platform_list, name="platforms"),
    path("platforms/new/", activity_views.platform_create, name="platform_create"),
    path("platforms/<int:pk>/edit/", activity_views.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/delete/", activity_views.platform_delete, name="platform_delete"),
]
