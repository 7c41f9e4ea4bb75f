import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ATTACHMENT_KINDS, AttachmentKind } from '../case-core/attachment-kinds';

export { ATTACHMENT_KINDS, type AttachmentKind };

/** Chinese names of the kinds (委派/委托函, 证据, 签署的调解协议书, 身份证明, 其他). */
export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  court_letter: '委派/委托函',
  evidence: '证据',
  signed_agreement: '签署的调解协议书',
  identity: '身份证明',
  other: '其他',
};

/** The multipart form of an upload (documented for OpenAPI; read by the service as it streams). */
export class UploadAttachmentForm {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF, JPEG, PNG, DOCX or XLSX (checked by content), at most 20 MB' }) file: unknown;
  @ApiProperty({ enum: ATTACHMENT_KINDS, enumName: 'AttachmentKind', description: '委派/委托函 | 证据 | 签署的调解协议书 | 身份证明 | 其他' }) kind: AttachmentKind;
  @ApiPropertyOptional({ maxLength: 2000 }) note?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the attachment of the same case this version replaces (both are kept)' }) supersedes?: string;
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS, enumName: 'AttachmentKind' }) kind: AttachmentKind;
  @ApiProperty({ example: '委派调解函.pdf', description: 'the uploaded name, made safe (no path, no control characters)' }) fileName: string;
  @ApiProperty({ example: 'application/pdf', description: 'detected from the content' }) contentType: string;
  @ApiProperty({ example: 183204 }) sizeBytes: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', description: 'SHA-256 of the content, hex' }) sha256: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the version this one replaces' }) supersedesId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the version that replaced this one (null: current)' }) supersededById: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) uploadedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) uploadedAt: Date;
  @ApiProperty({ example: '/api/v1/attachments/0b7c…', description: 'where to download the file' }) downloadUrl: string;
}
