"""A runnable local site: the XBlock Workbench with the suite's blocks, demo users and the admin."""
