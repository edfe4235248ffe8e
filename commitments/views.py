from django.http import HttpResponse


def home(request):
    return HttpResponse("TODO")


action_plan_list = action_plan_detail = commitment_list = commitment_detail = home
