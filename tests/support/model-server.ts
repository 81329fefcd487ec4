// Entry point of the scripted model server; the implementation lives in ./model-server/.
export * from "./model-server/index.ts";
