from yusuan.cli import main

raise SystemExit(main())
