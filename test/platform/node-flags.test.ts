import { SERVER_NODE_FLAGS, serverExecArgv } from '../../platform/node-flags';

describe('the server processes\' V8 flags', () => {
  it('adds ours to the parent\'s flags, for the options the parent did not set', () => {
    expect(serverExecArgv([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(serverExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps', '--max-semi-space-size=64']);
    // An operator's own setting stands: a machine short of memory, or a comparison with V8's default.
    expect(serverExecArgv(['--enable-source-maps', '--max-semi-space-size=16'])).toEqual(['--enable-source-maps', '--max-semi-space-size=16']);
  });
});
