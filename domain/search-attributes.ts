import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Registered on the dev server at start and set by every flow, so an operator can find all runs of
// one invite or user in the Web UI. Never an e-mail address or a token.
export const FLOW = defineSearchAttributeKey('UsermodFlow', SearchAttributeType.KEYWORD);
export const INVITE_IDS = defineSearchAttributeKey('UsermodInviteIds', SearchAttributeType.KEYWORD_LIST);
export const USER_IDS = defineSearchAttributeKey('UsermodUserIds', SearchAttributeType.KEYWORD_LIST);

export const SEARCH_ATTRIBUTES = [FLOW, INVITE_IDS, USER_IDS];
