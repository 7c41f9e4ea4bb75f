/**
 * The kinds of a case's attachments (委派/委托函, 证据, 签署的调解协议书, 身份证明, 其他). At the bottom of
 * the domain so that the case page (cases) and the attachments module read the same list.
 */
export const ATTACHMENT_KINDS = ['court_letter', 'evidence', 'signed_agreement', 'identity', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
