"""Single sign-on through OpenID Connect (django-allauth): the verified provider, its URLs,
the role mapping and allauth's hooks."""
