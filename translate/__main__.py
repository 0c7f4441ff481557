from translate.cli import cli

cli(prog_name="translate")
