"""The media bucket (MEDIA_STORAGE=s3), through django-storages and boto3."""

from storages.backends.s3 import S3Storage

from .media_storage import IMMUTABLE, content_type


class MediaBucket(S3Storage):
    """Each object stored with the exact type of what it holds and a year-long lifetime.

    The type comes from our own table rather than the machine's mime.types: uploads are
    re-encoded to these formats only (photos/images.py), and a browser must never have to
    guess. Files get random names and are never rewritten in place, hence « immutable ».
    """

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        parameters["ContentType"] = content_type(name)
        parameters.setdefault("CacheControl", IMMUTABLE)
        return parameters
