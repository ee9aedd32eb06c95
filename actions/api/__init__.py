"""The read-only REST API for the partnership's analysts (Django REST Framework), under
/api/v1/: authentication by API token, serializers, views and URLs."""
