"""The one packaging fact pyproject.toml cannot state: the package list.

The letter templates are kept in templates/letters/ at the top of the repository (SPEC §7),
not under src/, so automatic package discovery cannot find them. pyproject.toml maps the
package kansen_cli.templates to that folder (package-dir) and ships its files (package-data);
this adds it to the packages discovered under src/, so a wheel holds
kansen_cli/templates/letters/ and an editable install reads the folder where it is.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "kansen_cli.templates", "kansen_cli.templates.letters"])
