// Runs the @nestjs/swagger CLI plugin inside ts-jest, so tests see the same DTO metadata as
// `nest build` (https://docs.nestjs.com/openapi/cli-plugin#integration-with-ts-jest-e2e-tests).
const transformer = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins.find(
  (plugin) => plugin.name === '@nestjs/swagger',
).options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => transformer.before(options, compiler.program);
