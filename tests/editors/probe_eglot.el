;;; probe_eglot.el --- after the docs/editors.md recipe: open a migration with eglot, wait for
;;; the server's diagnostics (as flymake shows them), ask for the code actions on the first one,
;;; write it all as JSON.  Environment: PROBE_FILE, PROBE_OUT.  -*- lexical-binding: t -*-
(require 'json)
(require 'subr-x)
(find-file (getenv "PROBE_FILE"))
;; Batch Emacs runs no command loop: run what follows a command once (eglot-ensure connects
;; there), and let flymake start as it does when the buffer is shown.
(run-hooks 'post-command-hook)
(defun probe--wait (predicate seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.25))
    (funcall predicate)))
(defun probe--lsp (diag)
  (cdr (assoc 'eglot-lsp-diag (eglot--diag-data diag))))
(let* ((ok (probe--wait (lambda () (flymake-diagnostics)) 120))
       (diagnostics (flymake-diagnostics))
       (server (eglot-current-server))
       (result
        `((ok . ,(if ok t :json-false))
          (emacs . ,emacs-version)
          (server . ,(if server (eglot--project-nickname server) :json-null))
          (root . ,(if server (project-root (eglot--project server)) :json-null))
          (diagnostics
           . ,(vconcat
               (mapcar
                (lambda (d)
                  (let ((beg (flymake-diagnostic-beg d)))
                    `((line . ,(line-number-at-pos beg))
                      (column . ,(save-excursion (goto-char beg) (current-column)))
                      (type . ,(symbol-name (flymake-diagnostic-type d)))
                      (code . ,(plist-get (probe--lsp d) :code))
                      (source . ,(plist-get (probe--lsp d) :source))
                      (message . ,(flymake-diagnostic-text d)))))
                diagnostics)))
          (actions
           . ,(vconcat
               (when diagnostics
                 (mapcar
                  (lambda (a) `((title . ,(plist-get a :title)) (kind . ,(plist-get a :kind))))
                  (eglot-code-actions (flymake-diagnostic-beg (car diagnostics))
                                      (flymake-diagnostic-end (car diagnostics))))))))))
  (with-temp-file (getenv "PROBE_OUT") (insert (json-encode result)))
  (when server (ignore-errors (eglot-shutdown server)))
  (kill-emacs 0))
