from django.urls import path

from agora.boards import views

urlpatterns = [
    path("boards", views.my_boards, name="my-boards"),
    path("boards/save", views.save_widget, name="board-save"),
    path("boards/<int:board_id>", views.board_page, name="board"),
    path("boards/<int:board_id>/follow", views.follow_toggle, name="board-follow"),
    path("boards/<int:board_id>/pins/<int:pin_id>/repin", views.repin, name="board-repin"),
]
