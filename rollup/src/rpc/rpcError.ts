/**
 * A JSON-RPC error answered to the caller. `code` is the JSON-RPC number, `reason` the stable
 * dotted code clients match on (`rpc.invalid_params.slot`), carried in `error.data.reason`.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  static invalidParams(field: string, message: string): RpcError {
    return new RpcError(-32602, `rpc.invalid_params.${field}`, message);
  }
}

/** Listening failed because the port is taken. The message says what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly port: number;
  constructor(port: number, what: string, flag: string) {
    super(`${what} port ${port} is already in use; stop the other process or pass ${flag} <port>`);
    this.port = port;
  }
}
