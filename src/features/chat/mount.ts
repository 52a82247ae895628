export { chatApi, isChatUpload } from "./api";
export { chatPages } from "./routes";
export { businessChatTab } from "./business-tab";
