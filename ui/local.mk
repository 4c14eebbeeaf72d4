# ui/: front ends (plain line mode; curses later) and the client's network and state.
