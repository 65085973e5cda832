"""Persian RTL PDF reports: Jinja2 templates rendered with WeasyPrint."""

from graders.report.render import render_student_report

__all__ = ["render_student_report"]
