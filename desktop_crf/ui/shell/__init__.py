"""The shell: the unlock window, the main window, the idle lock and the controller that decides
which window is shown when."""
