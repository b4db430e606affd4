from kansen_cli.cli import main

main()
