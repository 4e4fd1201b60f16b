import { SERVER_NODE_FLAGS, serverExecArgv } from '../../platform/node-flags';

describe('the server processes\' V8 flags', () => {
  it('adds ours to the parent\'s flags, in place of any the parent set for the same option', () => {
    expect(serverExecArgv([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(serverExecArgv(['--enable-source-maps', '--max-semi-space-size=8'])).toEqual(['--enable-source-maps', '--max-semi-space-size=64']);
  });
});
