// Text files bundled with `import x from "./f.md" with { type: "text" }`.
declare module "*.md" {
  const content: string;
  export default content;
}
declare module "*VERSION" {
  const content: string;
  export default content;
}
