-- Drive real Neovim (0.7 API) against the server: open a migration, wait for diagnostics,
-- write them as JSON. Environment: PROBE_ROOT, PROBE_FILE, PROBE_OUT, PROBE_PYTHON.
local root = os.getenv("PROBE_ROOT")
local out = os.getenv("PROBE_OUT")
local id = vim.lsp.start_client({
  name = "django-migration-lsp",
  cmd = { os.getenv("PROBE_PYTHON"), "-m", "django_migration_lsp", "serve" },
  root_dir = root,
})
vim.cmd("edit " .. os.getenv("PROBE_FILE"))
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(90000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local result = { ok = ok, diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, severity = d.severity, code = code, message = d.message,
    source = d.source,
  })
end
local f = io.open(out, "w")
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 100)
vim.cmd("qa!")
