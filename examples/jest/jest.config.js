// Jest's default setup: CommonJS test files, the node environment.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Registers toReceiveMessage, toHaveConnections, … on the global expect.
  setupFilesAfterEnv: ['wsmock/jest/setup'],
};
