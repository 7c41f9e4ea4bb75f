import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_PATTERN } from '../money';

const moneyDoc = (example = '12500.00') => ({ type: String, pattern: MONEY_PATTERN.source, example, description: 'yuan, a decimal string with at most two decimals (a JSON number is a 400)' });

/** A money amount: a decimal string with at most two decimals. A JSON number is rejected. */
export function IsMoney(options: { optional?: boolean; example?: string } = {}) {
  const decorators = [
    IsString({ message: '$property must be a decimal string such as "12500.00" (not a number)' }),
    Matches(MONEY_PATTERN, { message: '$property must be a non-negative amount with at most two decimals, such as "12500.00"' }),
    options.optional ? ApiPropertyOptional(moneyDoc(options.example)) : ApiProperty(moneyDoc(options.example)),
  ];
  if (options.optional) decorators.unshift(IsOptional());
  return applyDecorators(...decorators);
}

const instantDoc = (description?: string) => ({ type: String, format: 'date-time', maxLength: 40, example: '2026-11-24T09:30:00+08:00', description });

/** An ISO 8601 instant with a date, e.g. 2026-11-24T09:30:00+08:00. */
export function IsInstant(options: { optional?: boolean; description?: string } = {}) {
  const decorators = [
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be an ISO 8601 date-time such as 2026-11-24T09:30:00+08:00' }),
    MaxLength(40),
    options.optional ? ApiPropertyOptional(instantDoc(options.description)) : ApiProperty(instantDoc(options.description)),
  ];
  if (options.optional) decorators.unshift(IsOptional());
  return applyDecorators(...decorators);
}

/** Trims surrounding whitespace of a string field (other types pass through to fail validation). */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A query-string boolean: "true" / "false" only. */
export const QueryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** A query-string integer; anything else stays a string and fails @IsInt. */
export const QueryInt = () => Transform(({ value }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value));
