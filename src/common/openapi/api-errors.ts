import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { MESSAGE_ZH_BY_STATUS } from '../errors/all-exceptions.filter';
import { ErrorCode } from '../errors/domain-error';

/** The one error shape of the API, as the OpenAPI document describes it. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'summary must be a string' }) message!: string;
  @ApiProperty({ example: '提交的内容有误，请检查后重试', description: 'Chinese text for the web application' }) messageZh!: string;
  @ApiPropertyOptional({ enum: Object.values(ErrorCode), example: 'INVALID_TRANSITION', description: 'domain error code (domain errors only)' }) code?: ErrorCode;
  @ApiPropertyOptional({
    oneOf: [
      {
        type: 'array',
        description: 'invalid input (400): each offending field with its problems',
        items: {
          type: 'object',
          properties: { field: { type: 'string', example: 'claimAmount' }, problems: { type: 'array', items: { type: 'string' } } },
          required: ['field', 'problems'],
        },
      },
      { type: 'object', additionalProperties: true, description: 'the offending field (400: `{field}`), the current state or version (409: `{status, version}`)' },
    ],
    description: 'offending fields (400), current state or version (409)',
  })
  details?: Array<{ field: string; problems: string[] }> | Record<string, unknown>;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (unknown fields included); `details` names the offending fields',
  401: 'Missing, expired or revoked token or API key',
  403: 'The role may not take this action',
  404: 'Not found, or outside the caller\'s scope',
  409: 'Invalid transition for the current state, or a stale version',
  413: 'Too large',
  415: 'Unsupported media type',
  429: 'Too many requests (see Retry-After)',
  503: 'A dependency is down (see Retry-After)',
};

/** Documents the error responses of an operation, all with the one error shape. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: `${DESCRIPTIONS[status] ?? 'Error'} (${MESSAGE_ZH_BY_STATUS[status] ?? ''})`, type: ErrorResponseDto }),
    ),
  );
}
