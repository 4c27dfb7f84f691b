-- Loaded after the docs/editors.md recipe (the init file): open a migration, wait for the
-- server's diagnostics, ask for the code actions on the first one, write it all as JSON.
-- Environment: PROBE_FILE, PROBE_OUT.
local out = os.getenv("PROBE_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PROBE_FILE")))
local ok = vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local v = vim.version()
local result = {
  ok = ok,
  version = string.format("%d.%d.%d", v.major, v.minor, v.patch),
  filetype = vim.bo.filetype,
  clients = {},
  diagnostics = {},
  actions = {},
}
for _, c in ipairs(vim.lsp.get_clients({ bufnr = 0 })) do
  table.insert(result.clients, { name = c.name, root_dir = c.root_dir })
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, severity = d.severity, code = d.code or lsp.code,
    message = d.message, source = d.source,
  })
end
local first = vim.diagnostic.get(0)[1]
if first and first.user_data and first.user_data.lsp then
  local lsp = first.user_data.lsp
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(0),
    range = lsp.range,
    context = { diagnostics = { lsp } },
  }
  local responses = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 60000)
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind })
    end
  end
end
local f = assert(io.open(out, "w"))
f:write(vim.json.encode(result))
f:close()
for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
vim.wait(5000, function() return #vim.lsp.get_clients() == 0 end, 100)
vim.cmd("qa!")
