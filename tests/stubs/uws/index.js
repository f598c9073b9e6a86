// @deepstream/server requires uWebSockets.js only for its uWS connection endpoint, which
// linklight's tests never configure. Anything that does reach it gets a clear error.
throw new Error('uWebSockets.js is stubbed in linklight (tests/stubs/uws): use the ws endpoint')
