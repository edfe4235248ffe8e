from django.http import HttpResponse


def state_list(request):
    return HttpResponse("TODO")
