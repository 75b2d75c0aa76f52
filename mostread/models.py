"""Reads per article and per hour, for « Les plus lus » when there is no Redis (SQLite)."""

from django.db import models


class HourlyReads(models.Model):
    """Written in bulk by mostread/counters.py (a buffer per process), never once per view."""

    article = models.ForeignKey(
        "articles.Article", verbose_name="article", on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField("heure")
    reads = models.PositiveIntegerField("lectures", default=0)

    class Meta:
        verbose_name = "lectures d’une heure"
        verbose_name_plural = "lectures par heure"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="hourly_reads_unique")
        ]
        indexes = [models.Index(fields=["hour"], name="hourly_reads_hour_idx")]

    def __str__(self):
        return f"{self.article_id} à {self.hour:%Hh} : {self.reads}"
