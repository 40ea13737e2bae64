/** Token counts and cost as the API reports them (columns of the agent tables, snake_case). */
export interface UsageFigures {
  /** Input tokens, cached ones included. */
  input_tokens: number;
  /** Output tokens, reasoning ones included. */
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** USD. */
  cost_usd: number;
}
