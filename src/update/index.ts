// Self-update: release source layout, checksum verification, atomic binary replacement, and
// the background "new update available" notice.
export { describeUpdate, devBuildError, updateSelf, type UpdateOptions, type UpdateResult } from "./update.ts";
export { startUpdateNotice, noticeLine, type UpdateNotice } from "./notice.ts";
export { assetName, currentAsset } from "./platform.ts";
export { DEFAULT_RELEASE_BASE, RALLY_REPO, releaseSource, type ReleaseSource } from "./release-source.ts";
