// The ES modules that esm-bridge.transformer.cjs hands to CommonJS packages which require() them.
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as { __jestEsmBridge?: Record<string, unknown> }).__jestEsmBridge = {
  '@nestjs/common': common,
  '@nestjs/core': core,
};
