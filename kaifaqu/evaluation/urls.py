from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("<int:pk>/", views.scheme_detail, name="scheme"),
    path("<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/run/", views.run_create, name="run_create"),
    path("<int:pk>/honor/", views.honor_generate, name="honor_generate"),
    path("<int:pk>/manual/", views.manual_values, name="manual_values"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("manual/<int:pk>/evidence/", views.manual_evidence, name="manual_evidence"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/review/", views.run_review, name="run_review"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/recompute/", views.run_recompute, name="run_recompute"),
    path("runs/<int:pk>/result.xlsx", views.run_xlsx, name="run_xlsx"),
    path("scores/<int:pk>/sheet.docx", views.score_docx, name="score_docx"),
    path("honor/<int:pk>/", views.honor_detail, name="honor_list"),
    path("honor/<int:pk>/add/", views.honor_add, name="honor_add"),
    path("honor/<int:pk>/publish/", views.honor_publish, name="honor_publish"),
    path("honor/<int:pk>/notice.docx", views.honor_docx, name="honor_docx"),
    path("honor/entries/<int:pk>/remove/", views.honor_remove, name="honor_remove"),
]
