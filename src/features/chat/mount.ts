export { chatApi, isChatUpload } from "./api";
