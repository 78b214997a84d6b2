import { Module } from '@nestjs/common';
import { ListConcurrencyInterceptor } from './list-concurrency.interceptor.js';
import { ListQueryBuilder } from './list-query.builder.js';

/**
 * The reusable list-query module: a feature module imports it, declares its QuerySpec, extends
 * ListQueryDto, and gets filter, search, sort, field selection and paging from ListQueryBuilder.
 */
@Module({
  providers: [ListQueryBuilder, ListConcurrencyInterceptor],
  exports: [ListQueryBuilder, ListConcurrencyInterceptor],
})
export class QueryModule {}
