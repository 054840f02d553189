from django.core.management.base import BaseCommand

from compliance.models import Regency
from compliance.state_diagram import write_all


class Command(BaseCommand):
    help = (
        "Gambar diagram status kepatuhan dari transisi Regency dengan Graphviz `dot` ke "
        "compliance/diagrams/ (satu berkas per bahasa). / Draw the compliance state diagram "
        "from Regency's transitions with Graphviz `dot` into compliance/diagrams/ (one file "
        "per language)."
    )

    def handle(self, *args, **options):
        for path in write_all(Regency):
            self.stdout.write(f"{path.relative_to(path.parents[2])}")
