"""`diagramgen mcp`: a Model Context Protocol server over stdio for assistants.

`workspace` confines paths to the folder the server was started in and finds its specs,
`tools` holds what each tool does (plain functions over the public API), and `server`
wires them to the MCP SDK, which only it imports.
"""
