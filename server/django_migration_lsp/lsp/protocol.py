"""pygls' protocol with what the LSP specification asks and pygls 2.1.1 does not do.

- Requests before ``initialize`` get error -32002 (ServerNotInitialized); notifications then are
  dropped (``exit`` excepted). A ``shutdown`` before ``initialize`` is refused the same way, so
  a later ``initialize`` is still answered.
- A request whose params do not match the method's type gets an InvalidParams error response
  (pygls logs it and never answers).
- Memory: pygls keeps the future of every notification handled by a coroutine or a generator
  (``_request_futures`` under a random id nobody removes), about 6.5 KB an edit; they are
  removed here once done.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol

#: stands for a message already answered with an error (``structure_message``)
ANSWERED = object()


class MigrationProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
                return ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is ANSWERED:
            return
        method = getattr(message, "method", None)
        if not self.initialize_received and method != types.EXIT:
            if method == types.INITIALIZE:
                self.initialize_received = True
            elif method is not None and getattr(message, "id", None) is not None:
                error = JsonRpcServerNotInitialized("the server is not initialized yet")
                self._send_response(message.id, error=error.to_response_error())
                return
            elif method is not None:
                return  # a notification before initialize: dropped
        super().handle_message(message)

    def _execute_handler(
        self, msg_id: Any, handler: Any, callback: Any, *args: Any, **kw: Any
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, *args, **kw)
        is_request = isinstance(callback, partial) and callback.func == self._send_handler_result
        future = None if is_request else self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda _f: self._forget(msg_id))

    def _forget(self, msg_id: Any) -> None:
        """Drop a finished notification's future, later: ``shutdown`` cancels the futures while
        iterating over them."""
        try:
            asyncio.get_running_loop().call_soon(self._request_futures.pop, msg_id, None)
        except RuntimeError:  # a thread's future, or no loop running
            self._request_futures.pop(msg_id, None)
